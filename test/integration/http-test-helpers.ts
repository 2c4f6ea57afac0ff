/** A deadline `ms` from now, as HttpClient.request takes it. */
export const inMs = (ms: number) => ({ deadline: Date.now() + ms });

/** The error a promise rejects with; fails the test if it resolves. */
export async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (err) {
    return err as Error;
  }
  throw new Error("expected the request to fail");
}
