/**
 * The capture site validates with the very module the server uses (cms/src/plugins/eas/shared/validation), so a
 * person sees the same per-field errors on the phone before submitting as the server would answer.
 */
export {
  createRecordValidator,
  type FieldError,
  type RecordValidator,
  type ValidationResult,
} from '../../../cms/src/plugins/eas/shared/validation/record-data';
export { visibleFields } from '../../../cms/src/plugins/eas/shared/validation/form-logic';
