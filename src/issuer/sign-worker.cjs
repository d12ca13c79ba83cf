// Entry of a signing worker thread: the built worker body beside it (dist/), or from source the TypeScript one via tsx.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');

if (existsSync(path.join(__dirname, 'sign-worker-main.js'))) {
  require('./sign-worker-main.js');
} else {
  // Running from source (tests, scripts): tsx compiles the worker body on the fly.
  require('tsx/cjs');
  require('./sign-worker-main.ts');
}
