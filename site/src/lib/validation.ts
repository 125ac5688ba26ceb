/**
 * The capture site validates with the very module the server uses (cms/src/plugins/eas/shared/validation), so a
 * person sees the same per-field errors on the phone before submitting as the server would answer.
 */
export { createRecordValidator, type FieldError, type RecordValidator, type ValidationResult } from '@eas/shared/validation/record-data';
export { visibleFields } from '@eas/shared/validation/form-logic';
