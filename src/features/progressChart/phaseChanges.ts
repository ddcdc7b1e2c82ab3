// Phase changes of a goal: each time the goal was revised (domain.md: a changed goal is archived
// and a new one links to it through replacesGoalId), the date the predecessor was archived.
import type { Doc, Id } from "../../../convex/_generated/dataModel";

export function phaseChangeDates(goal: Doc<"goals">, iepGoals: Doc<"goals">[]): string[] {
  const byId = new Map<Id<"goals">, Doc<"goals">>(iepGoals.map((g) => [g._id, g]));
  const dates: string[] = [];
  let current: Doc<"goals"> | undefined = goal;
  const seen = new Set<string>();
  while (current?.replacesGoalId && !seen.has(current._id)) {
    seen.add(current._id);
    const previous = byId.get(current.replacesGoalId);
    const when = previous?.archivedAt ?? current._creationTime;
    dates.push(new Date(when).toISOString().slice(0, 10));
    current = previous;
  }
  return dates.sort();
}
