export { plantCanary, screenInput } from './input.ts';
export { createOutputStream, screenOutput } from './output.ts';
export type {
  AppliedFinding,
  InputScreenResult,
  OutputContext,
  OutputScreenResult,
  OutputStream,
  ScreenInputOptions,
  ScreenMessage,
  StreamStep,
} from './types.ts';
export { GuardBudgetError } from './types.ts';
export { warmUpGuard } from './warmup.ts';
