// Entry of a signing worker thread (src/worker-body.cjs finds the built or the TypeScript body).
'use strict';
require('../worker-body.cjs')(__dirname, 'sign-worker-main');
