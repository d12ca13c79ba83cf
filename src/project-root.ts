// The project's root folder, found from a module's own folder whether it runs from source (src/...) or built (dist/src/...).
import { existsSync } from 'node:fs';
import path from 'node:path';

/**
 * The nearest folder at or above `from` that holds package.json: the project root, as dist/ has no package.json of
 * its own. Files the code reads from the project (compiled contracts, examples) are found from there.
 */
export function projectRoot(from: string): string {
  for (let dir = path.resolve(from); ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, 'package.json'))) return dir;
    if (path.dirname(dir) === dir) return path.resolve(from);
  }
}
