// A select over a fixed list of values, each shown by its word (e.g. LEVELS with LEVEL_WORD).
// The label stays with the caller, tied by `id`.
export interface WordSelectProps<T extends string> {
  id: string;
  value: T;
  options: readonly T[];
  words: Readonly<Record<T, string>>;
  onChange: (value: T) => void;
}

export function WordSelect<T extends string>(p: WordSelectProps<T>): React.ReactElement {
  return (
    <select id={p.id} value={p.value} onChange={(e) => p.onChange(e.target.value as T)}>
      {p.options.map((o) => (
        <option key={o} value={o}>
          {p.words[o]}
        </option>
      ))}
    </select>
  );
}
