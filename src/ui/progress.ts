// Progress of a long step: a listr2 task (spinner, latest line beneath it) when a person
// watches a terminal, plain lines otherwise (logs, CI, pipes). listr2 loads only for the former.

export type Report = (line: string) => void;

/**
 * Runs `work`, showing what it reports. `log` prints a plain line; it is used for every
 * reported line when stdout is not a terminal, and for nothing when it is.
 */
export async function withProgress<T>(title: string, log: Report, work: (report: Report) => Promise<T>): Promise<T> {
  if (!process.stdout.isTTY || process.env.CI) return work(log);
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
  for (const line of lines) log(line);
  return result as T;
}
