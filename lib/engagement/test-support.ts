/** The activity dates form as a browser sends it: day, month and year boxes for the start and the end. */
export const datesForm = (starts: string[], ends: string[]) => ({
  'starts-day': starts[0]!,
  'starts-month': starts[1]!,
  'starts-year': starts[2]!,
  'ends-day': ends[0]!,
  'ends-month': ends[1]!,
  'ends-year': ends[2]!,
});
