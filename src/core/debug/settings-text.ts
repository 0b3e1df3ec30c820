// A block of settings as one line (`outlierDetection.consecutive5xxErrors=5 interval=10s`):
// how the report shows a policy rule, a traffic policy or a NetworkPolicy peer without
// choosing, field by field, what to print.
import {isRecord} from '../record.js';

/** Nested settings flattened to `path=value` pairs; lists of scalars joined by commas. */
export function settingsPairs(value: unknown, prefix = ''): string[] {
  if (Array.isArray(value)) {
    if (value.every((item) => !isRecord(item) && !Array.isArray(item))) {
      return value.length > 0 ? [`${prefix}=${value.join(',')}`] : [];
    }
    return value.flatMap((item, index) => settingsPairs(item, `${prefix}[${index}]`));
  }
  if (isRecord(value)) {
    return Object.entries(value).flatMap(([key, inner]) => settingsPairs(inner, prefix ? `${prefix}.${key}` : key));
  }
  return value === undefined || value === null ? [] : [`${prefix}=${String(value)}`];
}

export function settingsText(value: unknown, prefix = ''): string {
  return settingsPairs(value, prefix).join(' ');
}
