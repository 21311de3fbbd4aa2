// An error from the API, as the learner sees it: what happened, the details, and what to do.
import type { ApiError } from '@/components/common/api';

export function ApiErrorView({ error }: { error: ApiError }) {
  return (
    <div className="inline-error" role="alert">
      <strong>{error.message}</strong>
      {error.details?.length ? (
        <ul>
          {error.details.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
      {error.hint ? <p>{error.hint}</p> : null}
    </div>
  );
}
