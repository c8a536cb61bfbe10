/** What the demo reports at the end, for people and (with --json) for scripts. */
export interface DemoSummary {
  root: string;
  durationMs: number;
  /** `store`: the emulator's saved state (reopen it with `handoff emulate ftrack --persist <store>`). */
  ftrack: { url: string; user: string; apiKey: string; store: string };
  server: { url: string; wireUrl: string | undefined };
  dashboardUrl: string;
  outsource: { task: string; message: string };
  delivery: { jobId: string; job: string; files: number; bytes: number; verified: number; vendorRoot: string };
  publish: { folder: string; verdict: string; uploadJobId: string };
  version: {
    id: string;
    asset: string;
    number: number;
    task: string;
    components: { name: string; kind: string; path: string }[];
    hasThumbnail: boolean;
    hasReviewable: boolean;
    reviewMovie: string | undefined;
  };
}
