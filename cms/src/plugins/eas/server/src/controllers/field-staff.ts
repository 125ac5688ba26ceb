import { errors } from '@strapi/utils';
import type { Context } from 'koa';
import type { FieldStaff } from '../utils/record-view';

/**
 * The field-staff user a content-API request acts for. Records belong to a person: a request authenticated another
 * way (an API token has no user) is refused with 403, never passed on as an empty owner.
 */
export const fieldStaffOf = (ctx: Context): FieldStaff => {
  const user = ctx.state.user as Partial<FieldStaff> | undefined;
  if (!user || typeof user.id !== 'number' || typeof user.username !== 'string') {
    throw new errors.ForbiddenError(
      'Records are captured and read by field staff: sign in as a field-staff user (an API token has no person to own a record)'
    );
  }
  return user as FieldStaff;
};
