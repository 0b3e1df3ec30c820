// `linkerd check -o json` as rows. Linkerd prints one object (healthcheck.CheckOutput in its
// pkg/healthcheck): `success`, and categories in the order they ran, each with its checks'
// final results (retried attempts are left out by linkerd itself). A failed check carries its
// error text and, when Linkerd has one, a hint URL. When extensions (viz, ...) are installed,
// each extension's checks follow as another such object: json.MarshalIndent output, so every
// object starts with a `{` at the start of a line and nothing nested does.

export type CheckStatus = 'ok' | 'warning' | 'error';

export interface CheckRow {
  category: string;
  /** The check's description, e.g. `control plane pods are ready`. */
  name: string;
  status: CheckStatus;
  /** Why the check failed or warned, as linkerd put it. */
  error?: string;
  /** Where Linkerd's documentation explains the failure (a URL). */
  hint?: string;
}

export interface LinkerdCheckReport {
  /** Linkerd's own verdict: no check ended in error (warnings allowed). */
  success: boolean;
  rows: CheckRow[];
}

const STATUS_OF_RESULT: Readonly<Record<string, CheckStatus>> = {success: 'ok', warning: 'warning', error: 'error'};

interface PrintedCheck {
  description?: unknown;
  result?: unknown;
  error?: unknown;
  hint?: unknown;
}

const optionalText = (
  value: unknown,
): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function rowOf(category: string, check: PrintedCheck, where: string): CheckRow {
  const status = typeof check.result === 'string' ? STATUS_OF_RESULT[check.result] : undefined;
  if (typeof check.description !== 'string' || !status) {
    throw new Error(
      `linkerd check output: ${where} is not a check (description and result success/warning/error expected): ${
        JSON.stringify(check)
      }`,
    );
  }
  const error = optionalText(check.error);
  const hint = optionalText(check.hint);
  return {category, name: check.description, status, ...(error && {error}), ...(hint && {hint})};
}

function parseOutputObject(text: string, where: string): LinkerdCheckReport {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new Error(`linkerd check output: ${where} is not JSON: ${(error as Error).message}`);
  }
  const output = parsed as {success?: unknown; categories?: unknown} | null;
  if (typeof output?.success !== 'boolean' || !(Array.isArray(output.categories) || output.categories === null)) {
    throw new Error(`linkerd check output: ${where}: expected {"success": boolean, "categories": [...]}`);
  }
  const rows = (output.categories ?? []).flatMap((entry: unknown, index: number) => {
    const category = entry as {categoryName?: unknown; checks?: unknown} | null;
    if (typeof category?.categoryName !== 'string' || !Array.isArray(category.checks)) {
      throw new Error(`linkerd check output: ${where}: categories[${index}] has no categoryName and checks`);
    }
    const name = category.categoryName;
    return (category.checks as PrintedCheck[]).map((check, at) =>
      rowOf(name, check, `${where}: categories[${index}].checks[${at}]`)
    );
  });
  return {success: output.success, rows};
}

/** Parses what `linkerd check -o json` printed; throws, naming the place, on anything else. */
export function parseLinkerdCheck(printed: string): LinkerdCheckReport {
  const objects = printed.split(/\n(?=\{)/).filter((text) => text.trim() !== '');
  if (objects.length === 0) throw new Error('linkerd check output is empty');
  const reports = objects.map((text, index) => parseOutputObject(text, `object ${index + 1}`));
  return {success: reports.every((report) => report.success), rows: reports.flatMap((report) => report.rows)};
}
