// Entry of a verification thread: the built worker body beside it (dist/), or from source the TypeScript one via tsx.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');

if (existsSync(path.join(__dirname, 'pool-worker-main.js'))) {
  require('./pool-worker-main.js');
} else {
  // Running from source (tests, scripts): tsx compiles the worker body on the fly.
  require('tsx/cjs');
  require('./pool-worker-main.ts');
}
