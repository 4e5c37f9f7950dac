/**
 * A release that carries a contract migration together with the expand it
 * completes would apply both while app instances of the previous release still
 * run: the contract removes what that code uses. They must ship apart.
 */
export function expandAndContractTogether(
  released: { tag: string; contracts: string | null }[],
): { expand: string; contract: string }[] {
  const tags = new Set(released.map((m) => m.tag));
  return released
    .filter((m) => m.contracts !== null && tags.has(m.contracts))
    .map((m) => ({ expand: m.contracts!, contract: m.tag }));
}

export function describePhaseConflicts(
  conflicts: { expand: string; contract: string }[],
  since: string,
): string {
  return conflicts
    .map(
      ({ expand, contract }) =>
        `${contract} contracts ${expand}, and both are new since ${since}: they must ship in different releases: release ${expand} first, deploy it everywhere, then ${contract}.`,
    )
    .concat('Take the contract migration out of this release and add it in a later one.')
    .join(' ');
}
