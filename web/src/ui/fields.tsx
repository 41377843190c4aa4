/** Form fields from React Aria: a time zone picker that searches as you type, and date pickers. */
import { parseDate } from '@internationalized/date';
import { useMemo } from 'react';
import {
  Button,
  Calendar,
  CalendarCell,
  CalendarGrid,
  ComboBox,
  DateInput,
  DatePicker,
  DateSegment,
  Dialog,
  FieldError,
  Group,
  Heading,
  Input,
  Label,
  ListBox,
  ListBoxItem,
  Popover,
} from 'react-aria-components';

const ZONES: string[] = (() => {
  const supported = (Intl as { supportedValuesOf?: (k: string) => string[] }).supportedValuesOf?.('timeZone') ?? [];
  return supported.includes('UTC') ? supported : [...supported, 'UTC'];
})();

/** A time zone by its IANA name, chosen from the browser's list; the form gets the name (`name`). */
export function TimeZonePicker({ name, label, defaultValue }: { name: string; label: string; defaultValue?: string }) {
  const items = useMemo(() => ZONES.map((z) => ({ id: z, name: z.replaceAll('_', ' ') })), []);
  return (
    <ComboBox
      className="field combo"
      name={name}
      formValue="key"
      defaultItems={items}
      defaultSelectedKey={defaultValue}
      menuTrigger="focus"
      isRequired
    >
      <Label>{label}</Label>
      <div className="combo-input">
        <Input />
        <Button aria-label={`Show ${label.toLowerCase()} choices`}>▾</Button>
      </div>
      <FieldError />
      <Popover className="popover">
        <ListBox className="listbox">{(item: { id: string; name: string }) => <ListBoxItem id={item.id}>{item.name}</ListBoxItem>}</ListBox>
      </Popover>
    </ComboBox>
  );
}

/** A calendar date (YYYY-MM-DD in the form) typed or picked from a calendar. */
export function DateField({
  name,
  label,
  defaultValue,
  isRequired,
  onChange,
}: {
  name: string;
  label: string;
  defaultValue?: string | undefined;
  isRequired?: boolean;
  onChange?: (value: string | undefined) => void;
}) {
  return (
    <DatePicker
      className="field date"
      name={name}
      defaultValue={defaultValue ? parseDate(defaultValue) : null}
      isRequired={isRequired ?? false}
      onChange={(v) => onChange?.(v ? v.toString() : undefined)}
    >
      <Label>{label}</Label>
      <Group className="date-group">
        <DateInput className="date-input">{(segment) => <DateSegment segment={segment} className="segment" />}</DateInput>
        <Button aria-label={`Pick the ${label.toLowerCase()} from a calendar`}>▾</Button>
      </Group>
      <FieldError />
      <Popover className="popover">
        <Dialog className="calendar-dialog">
          <Calendar>
            <header className="calendar-head">
              <Button slot="previous" aria-label="Previous month">
                ◀
              </Button>
              <Heading />
              <Button slot="next" aria-label="Next month">
                ▶
              </Button>
            </header>
            <CalendarGrid>{(date) => <CalendarCell date={date} className="cell" />}</CalendarGrid>
          </Calendar>
        </Dialog>
      </Popover>
    </DatePicker>
  );
}
