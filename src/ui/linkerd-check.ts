// `linkerd check` rows as install linkerd prints them: one line per check, what failed with
// linkerd's reason and the page that explains it.
import type {CheckRow} from '../core/install/linkerd-check.js';
import {renderColumns} from './columns.js';

export function renderCheckRows(rows: readonly CheckRow[]): string {
  return renderColumns(['CATEGORY', 'CHECK', 'STATUS', 'DETAIL'],
    rows.map((row) => [row.category, row.name, row.status, [row.error, row.hint].filter(Boolean).join(' — see ')]));
}
