/**
 * Clinical note templates as data. A template (JSON in resources/templates/, or a clinic's own
 * file) is validated by `noteTemplate`; the form is built from its sections and fields; a note's
 * content is a record of field id → value checked by `noteContentSchema(template, …)`; the signed
 * view and the printable PDF use `renderNoteText`; signing hashes `canonicalContent(content)`.
 *
 * Pure: no file reading here. Callers load the JSON and pass it in.
 *
 * The public API lives in this folder's modules (vocabulary, template schema, content schema,
 * render, canonical form); import it from here.
 */

export * from './vocabulary';
export {
  FIELD_KINDS,
  field,
  type Field,
  type FieldKind,
  type FieldOfKind,
  section,
  type Section,
  noteTemplate,
  type NoteTemplate,
  type NoteTemplateInput,
  parseNoteTemplate,
  templateFields,
} from './template.schema';
export {
  rosEntry,
  type RosEntry,
  rosValue,
  type RosValue,
  examEntry,
  type ExamEntry,
  examValue,
  type ExamValue,
  instrumentValue,
  type InstrumentValue,
  lesionValue,
  type LesionValue,
  type FieldValueByKind,
  type FieldValue,
  type ValueOfField,
  type NoteContent,
  type ContentOptions,
  isEmptyValue,
  fieldValueSchema,
  noteContentSchema,
} from './content.schema';
export { ucumDisplay } from './units';
export * from './render';
export * from './canonical';
