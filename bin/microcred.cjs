#!/usr/bin/env node
// Entry point of the `microcred` command: runs the CLI built to dist/ (npm install / npm ci build it; `npm run build` rebuilds it).
'use strict';
const path = require('node:path');

const entry = path.join(__dirname, '..', 'dist', 'cli', 'main.js');
let cli;
try {
  cli = require(entry);
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND' && String(error.message).includes(entry)) {
    console.error(`microcred: the CLI is not built (${entry} is missing): run \`npm run build\` in ${path.join(__dirname, '..')} (npm install and npm ci build it too).`);
    process.exit(3);
  }
  throw error;
}
// A reader that stops early (`microcred --help | head`) closes the pipe: end quietly, as other commands do.
process.stdout.on('error', (error) => {
  if (error && error.code === 'EPIPE') process.exit(0);
  throw error;
});
cli.main(process.argv);
