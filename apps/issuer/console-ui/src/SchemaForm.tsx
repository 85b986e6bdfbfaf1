import type { JsonSchema } from './api.js';
import { useI18n, type Messages } from './i18n.js';
import { buildValue, escape, fieldKind, flatten, formProperties, initialRaw, type Located, type Raw, type RawObject, type Violation } from './schema.js';

/** A violation in the user's language. */
export function violationMessage(t: Messages, violation: Violation): string {
  const v = t.validation as unknown as Record<string, string | ((n: number) => string)>;
  const message = v[violation.keyword] ?? t.validation.type;
  return typeof message === 'function' ? message(violation.limit ?? 0) : message;
}

/** The DOM id of the input at a JSON pointer (also where a server error by pointer is shown). */
export function fieldId(pointer: string): string {
  return `field${pointer.replace(/[^A-Za-z0-9_-]/g, (c) => (c === '/' ? '-' : `_${c.charCodeAt(0).toString(16)}`))}`;
}

interface FieldProps {
  located: Located[];
  root: JsonSchema;
  pointer: string;
  required: boolean;
  raw: Raw;
  errors: ReadonlyMap<string, string[]>;
  onChange(raw: Raw): void;
  /** The label when the schema has no title (the property name, or "name 2" for an array item). */
  fallbackLabel: string;
  disabled: boolean;
}

function ErrorText({ id, messages }: { id: string; messages: string[] | undefined }) {
  if (!messages || messages.length === 0) return null;
  return (
    <p className="field-error" id={id}>
      {messages.join(' ')}
    </p>
  );
}

/** The visible "*" of a required field; screen readers hear `aria-required` instead, so the label stays the name. */
function RequiredMark({ required }: { required: boolean }) {
  if (!required) return null;
  return (
    <span className="required-mark" aria-hidden="true">
      {' *'}
    </span>
  );
}

/** A claim name as English words: `ageOver18` → "Age over 18", `residentSince` → "Resident since". */
export function words(name: string): string {
  const spaced = name.replace(/([a-z])([A-Z0-9])/g, '$1 $2').replace(/([0-9])([A-Za-z])/g, '$1 $2').toLowerCase();
  return spaced.charAt(0).toUpperCase() + spaced.slice(1);
}

function Field(props: FieldProps) {
  const { t, lang } = useI18n();
  const { located, root, pointer, required, raw, errors, onChange, fallbackLabel, disabled } = props;
  const value = buildValue(located, root, raw, { required });
  const flat = flatten(located, root, value);
  const kind = fieldKind(flat);
  // The schemas' titles are Korean (the certificates' labels); in English the claim's own name, as words.
  const label = lang === 'ko' ? (flat.title ?? fallbackLabel) : words(fallbackLabel);
  const id = fieldId(pointer);
  const messages = errors.get(pointer);
  const hintId = flat.description ? `${id}-hint` : undefined;
  const errorId = messages && messages.length > 0 ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const hint = flat.description ? (
    <p className="field-hint" id={hintId}>
      {flat.description}
    </p>
  ) : null;

  if (kind === 'object') {
    const object = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as RawObject;
    return (
      <fieldset className="schema-group" aria-describedby={describedBy} disabled={disabled}>
        <legend>
          {label}
          <RequiredMark required={required} />
        </legend>
        {hint}
        <ErrorText id={`${id}-error`} messages={messages} />
        {formProperties(flat, false).map((key) => (
          <Field
            key={key}
            located={flat.properties.get(key)!}
            root={root}
            pointer={`${pointer}/${escape(key)}`}
            required={flat.required.has(key)}
            raw={object[key] ?? ''}
            errors={errors}
            onChange={(next) => onChange({ ...object, [key]: next })}
            fallbackLabel={key}
            disabled={disabled}
          />
        ))}
      </fieldset>
    );
  }

  if (kind === 'array') {
    const items = Array.isArray(raw) ? raw : [];
    return (
      <fieldset className="schema-group" aria-describedby={describedBy} disabled={disabled}>
        <legend>
          {label}
          <RequiredMark required={required} />
        </legend>
        {hint}
        <ErrorText id={`${id}-error`} messages={messages} />
        {items.map((item, index) => (
          <div className="array-item" key={index}>
            <Field
              located={flat.items}
              root={root}
              pointer={`${pointer}/${index}`}
              required
              raw={item}
              errors={errors}
              onChange={(next) => onChange(items.map((old, i) => (i === index ? next : old)))}
              fallbackLabel={t.issue.item(label, index + 1)}
              disabled={disabled}
            />
            <button type="button" className="button secondary small" onClick={() => onChange(items.filter((_, i) => i !== index))}>
              {t.issue.removeItem(label, index + 1)}
            </button>
          </div>
        ))}
        {flat.maxItems === undefined || items.length < flat.maxItems ? (
          <button type="button" className="button secondary small" onClick={() => onChange([...items, initialRaw(flat.items, root)])}>
            {t.issue.addItem(label)}
          </button>
        ) : null}
      </fieldset>
    );
  }

  const common = {
    id,
    name: pointer,
    'aria-invalid': errorId ? true : undefined,
    'aria-describedby': describedBy,
    'aria-required': required || undefined,
    disabled,
  } as const;
  const text = typeof raw === 'string' ? raw : '';

  if (kind === 'boolean' && required) {
    return (
      <div className="field checkbox-field">
        <input type="checkbox" {...common} checked={raw === true} onChange={(e) => onChange(e.target.checked)} />
        <label htmlFor={id}>
          {label}
          <RequiredMark required={required} />
        </label>
        {hint}
        <ErrorText id={`${id}-error`} messages={messages} />
      </div>
    );
  }

  let control;
  if (kind === 'boolean') {
    const current = raw === true ? 'true' : raw === false ? 'false' : '';
    control = (
      <select {...common} value={current} onChange={(e) => onChange(e.target.value === '' ? '' : e.target.value === 'true')}>
        <option value="">{t.issue.unset}</option>
        <option value="true">{t.yes}</option>
        <option value="false">{t.no}</option>
      </select>
    );
  } else if (kind === 'enum') {
    control = (
      <select {...common} value={text} onChange={(e) => onChange(e.target.value)}>
        <option value="">{t.issue.chooseOption}</option>
        {flat.enum!.map((option) => (
          <option key={String(option)} value={String(option)}>
            {String(option)}
          </option>
        ))}
      </select>
    );
  } else {
    const type = kind === 'date' ? 'date' : kind === 'date-time' ? 'datetime-local' : kind === 'integer' || kind === 'number' ? 'number' : 'text';
    const bounds =
      kind === 'integer' || kind === 'number'
        ? { min: flat.minimum ?? flat.exclusiveMinimum, max: flat.maximum ?? flat.exclusiveMaximum, step: kind === 'integer' ? 1 : 'any', inputMode: kind === 'integer' ? ('numeric' as const) : ('decimal' as const) }
        : {};
    control = (
      <input
        type={type}
        {...common}
        {...bounds}
        value={text}
        maxLength={kind === 'text' ? flat.maxLength : undefined}
        autoComplete="off"
        spellCheck={false}
        onChange={(e) => onChange(e.target.value)}
      />
    );
  }
  return (
    <div className="field">
      <label htmlFor={id}>
        {label}
        <RequiredMark required={required} />
      </label>
      {hint}
      {control}
      <ErrorText id={`${id}-error`} messages={messages} />
    </div>
  );
}

/** Props of {@link SchemaForm}. */
export interface SchemaFormProps {
  schema: JsonSchema;
  raw: Raw;
  errors: ReadonlyMap<string, string[]>;
  onChange(raw: Raw): void;
  disabled?: boolean;
}

/** The fields of a subject schema (its top-level properties, the holder's `id` aside). */
export function SchemaForm({ schema, raw, errors, onChange, disabled = false }: SchemaFormProps) {
  const { t } = useI18n();
  const located: Located[] = [{ node: schema, doc: schema }];
  const value = buildValue(located, schema, raw, { top: true });
  const flat = flatten(located, schema, value);
  const object = (raw && typeof raw === 'object' && !Array.isArray(raw) ? raw : {}) as RawObject;
  return (
    <div className="schema-form">
      <p className="field-hint" aria-hidden="true">
        {t.issue.requiredNote}
      </p>
      {formProperties(flat, true).map((key) => (
        <Field
          key={key}
          located={flat.properties.get(key)!}
          root={schema}
          pointer={`/${escape(key)}`}
          required={flat.required.has(key)}
          raw={object[key] ?? ''}
          errors={errors}
          onChange={(next) => onChange({ ...object, [key]: next })}
          fallbackLabel={key}
          disabled={disabled}
        />
      ))}
    </div>
  );
}
