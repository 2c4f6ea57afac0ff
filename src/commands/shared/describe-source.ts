/** Where a setting came from, in words. */
export function describeSource(source: string): string {
  return source === "flag" ? "--endpoint" : source === "env" ? "the environment" : source === "profile" ? "the saved profile" : source;
}
