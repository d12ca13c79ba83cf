// Entry of a signing worker thread: loads tsx (the project has no build step), then the TypeScript worker body.
'use strict';
require('tsx/cjs');
require('./sign-worker-main.ts');
