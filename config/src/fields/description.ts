/**
 * What the form and the docs know about a field. Its own file, free of Node types, because the
 * page's browser code uses it as its `FieldInfo` (`@traderadmin/config/description`).
 */
export interface FieldDescription {
  kind: 'boolean' | 'integer' | 'number' | 'string' | 'secret' | 'list' | 'table' | 'table_list';
  help: string;
  default?: unknown;
  optional?: boolean;
  min?: number;
  max?: number;
  unit?: string;
  choices?: readonly string[];
  pattern?: string;
  item?: FieldDescription;
  fields?: Record<string, FieldDescription>;
}
