// Loads the body of a worker thread: the built .js beside its entry (dist/), or from source the .ts through tsx.
'use strict';
const { existsSync } = require('node:fs');
const path = require('node:path');

/** Requires `<dir>/<name>.js` when it was built there, else `<dir>/<name>.ts` compiled on the fly (tests, scripts). */
module.exports = function loadWorkerBody(dir, name) {
  if (existsSync(path.join(dir, `${name}.js`))) {
    require(path.join(dir, `${name}.js`));
  } else {
    require('tsx/cjs');
    require(path.join(dir, `${name}.ts`));
  }
};
