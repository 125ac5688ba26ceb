/** What an admin API call's error says (Strapi answers `{ data: null, error: { status, name, message, details } }`). */
export interface ApiError {
  status?: number;
  message?: string;
  code?: string;
}

export const apiError = (err: unknown): ApiError => {
  const error = (err as { response?: { data?: { error?: { status?: number; message?: string; details?: { code?: string } } } } }).response
    ?.data?.error;
  return { status: error?.status, message: error?.message, code: error?.details?.code };
};
