// Progress of a long step: a listr2 task (spinner, latest line beneath it) when a person
// watches a terminal, plain lines otherwise (logs, CI, pipes). listr2 loads only for the former.
// Whether a person watches is the base command's decision, passed in.

export type Report = (line: string) => void;

/**
 * Runs `work`, showing what it reports. `log` prints a plain line: every reported line
 * goes to it when `interactive` is false, and the record of them after the task when true.
 */
export async function showProgress<T>(title: string, display: {interactive: boolean; log: Report},
  work: (report: Report) => Promise<T>): Promise<T>
{
  if (!display.interactive) return work(display.log);
  const {Listr} = await import('listr2');
  let result: T | undefined;
  const lines: string[] = [];
  const tasks = new Listr([{
    title,
    task: async (_context, task) => {
      result = await work((line) => {
        lines.push(line);
        task.output = line;
      });
      task.title = `${title}: done`;
    },
    rendererOptions: {outputBar: 1, persistentOutput: false},
  }], {exitOnError: true, rendererOptions: {showErrorMessage: false}}); // the command prints the error, once
  await tasks.run();
  // The spinner showed one line at a time; the record of what changed stays on screen.
  for (const line of lines) display.log(line);
  return result as T;
}
