import { existsSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { extractSample, GUIDES, renderSample, root, samplePath } from './samples.js'

// `npm run docs:samples`: rewrites test/package/samples/ from the guides.
for (const guide of GUIDES) {
  if (!existsSync(join(root, 'docs', `${guide}.md`))) continue
  writeFileSync(samplePath(guide), renderSample(extractSample(guide)))
  console.log(`wrote ${samplePath(guide).slice(root.length + 1)}`)
}
