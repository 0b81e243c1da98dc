export { NoteEditor } from './NoteEditor';
export { SignedNote } from './SignedNote';
