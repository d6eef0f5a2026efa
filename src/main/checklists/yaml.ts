// Checklist files: the shared YAML loader (file, line and field in every problem) with the
// checklist schema, plus what a schema cannot see (item ids unique within the file).
import { checklistSchema, type ChecklistDoc } from '../../shared/checklists';
import { duplicateIds, parseYamlDoc, type DocResult } from '../yaml-docs';

export function parseChecklist(file: string, text: string): DocResult<ChecklistDoc> {
  return parseYamlDoc(file, text, checklistSchema, (doc) =>
    duplicateIds(doc.items, ['items'], 'item'),
  );
}
