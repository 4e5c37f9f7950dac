/** JSON has no dates: a Date column arrives as its ISO string. */
export type OverJson<Row> = {
  [Key in keyof Row]: Date extends Row[Key] ? Exclude<Row[Key], Date> | string : Row[Key];
};
