// What a kind's validation finds, before it becomes a finding: a level (Istio's webhook
// rejects errors and only prints warnings), a short statement and the field it is about.
import type {FieldPath} from '../../../field-line.js';

export interface Problem {
  level: 'error' | 'warning';
  text: string;
  field?: FieldPath;
}

export function rejected(text: string, field?: FieldPath): Problem {
  return field ? {level: 'error', text, field} : {level: 'error', text};
}

export function warned(text: string, field?: FieldPath): Problem {
  return field ? {level: 'warning', text, field} : {level: 'warning', text};
}
