// Stub created by developer A so that the registry compiles; developer B owns this file
// and replaces it with B's analysers.
import type {IstioAnalyzer} from '../context.js';

export const analyzersB: IstioAnalyzer[] = [];
