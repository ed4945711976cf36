import {writeFileSync} from 'node:fs'
import path from 'node:path'
import {it} from 'vitest'
import {addTrenchesTables} from '../support/trenches-tables.ts'
import {copyProject, trenches} from '../support/project.ts'
it('makes', () => {
  const project = copyProject(trenches, 'trsub-')
  addTrenchesTables(project)
  writeFileSync(path.join(project, 'manuscript.yaml'), 'anonymous: true\n')
  writeFileSync('/tmp/trsub-path', project)
})
