// The guides in reading order, each with the sample file whose `main` the main job runs.
export interface GuideEntry {
  /** Title shown in the summary table. */
  title: string;
  /** File name in samples/ without extension. */
  sample: string;
}

export const GUIDES: GuideEntry[] = [
  { title: "Get started", sample: "get-started" },
  { title: "Configure a retry policy", sample: "retry-policy" },
];
