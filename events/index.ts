export * from './business-date.ts';
export * from './envelope.ts';
export * from './catalogue.ts';
export * from './plan/common.ts';
export { PlanKind } from './plan/plan-registered.v1.ts';
export { AssuranceJudgement } from './plan/recommendation-assured.v1.ts';
export { Metric } from './plan/progress-update-recorded.v1.ts';
