// Shown instead of lab controls when the Docker engine does not answer: what happened and what to do.
export function EngineProblem({ message, hint }: { message: string; hint?: string }) {
  return (
    <section className="notice notice-error" role="alert" data-testid="engine-problem">
      <h2>The sandbox engine is not available</h2>
      <p>{message}</p>
      {hint ? <p className="notice-hint">{hint}</p> : null}
      <p className="muted">The page keeps working; reload it once the engine runs.</p>
    </section>
  );
}
