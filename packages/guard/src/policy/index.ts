export { DEFAULT_POLICY, resolvePolicy } from './defaults.ts';
export type { Action, GuardPolicy, InputPolicy, OutputPolicy, PolicyOverride, RuleSetting } from './types.ts';
