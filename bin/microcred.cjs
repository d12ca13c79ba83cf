#!/usr/bin/env node
// Entry point of the `microcred` command: runs the TypeScript CLI through tsx, so there is no build step to forget.
'use strict';
require('tsx/cjs');
require('../cli/main.ts').main(process.argv);
