// Entry of a verification thread (src/worker-body.cjs finds the built or the TypeScript body).
'use strict';
require('../worker-body.cjs')(__dirname, 'pool-worker-main');
