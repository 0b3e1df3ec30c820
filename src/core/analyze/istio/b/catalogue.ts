// Stub created by developer A so that the catalogue compiles; developer B owns this file.
import type {RuleDoc} from '../../types.js';

export const catalogueB: RuleDoc[] = [];
