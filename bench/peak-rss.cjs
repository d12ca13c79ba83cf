// Preloaded into every benchmark child process: writes the process's own peak RSS (kB) to BENCH_PEAK_FILE on exit.
'use strict';
const fs = require('node:fs');

const file = process.env.BENCH_PEAK_FILE;
if (file) {
  process.on('exit', () => {
    // maxRSS is the kernel's high-water mark of this process (getrusage), in kilobytes.
    fs.writeFileSync(file, String(process.resourceUsage().maxRSS));
  });
}
