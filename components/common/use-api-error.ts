'use client';
// The error a pane shows under its controls: set from whatever a call threw, cleared when the learner acts again.
import { useCallback, useState } from 'react';
import { apiErrorOf, type ApiError } from './api';

export function useApiError() {
  const [error, setError] = useState<ApiError | undefined>();
  const fail = useCallback((e: unknown) => setError(apiErrorOf(e)), []);
  const clear = useCallback(() => setError(undefined), []);
  return { error, fail, clear };
}
