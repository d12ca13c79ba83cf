// The audit stage's public face: policy and roster files, the decision, the run and its reports.
export * from './policy';
export * from './roster';
export * from './facts';
export * from './decide';
export * from './run';
export * from './report';
