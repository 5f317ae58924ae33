import { ReactNode } from 'react';
import type { CustomFieldValidator } from '@backstage/plugin-scaffolder-react';
import FormControl from '@material-ui/core/FormControl';
import FormControlLabel from '@material-ui/core/FormControlLabel';
import FormHelperText from '@material-ui/core/FormHelperText';
import FormLabel from '@material-ui/core/FormLabel';
import Radio from '@material-ui/core/Radio';
import RadioGroup from '@material-ui/core/RadioGroup';

/** The frame of an AI platform form field: legend, content, the schema's description. */
export function PickerFieldset(props: {
  label: string;
  description?: string;
  required?: boolean;
  error?: boolean;
  children: ReactNode;
}) {
  return (
    <FormControl component="fieldset" margin="normal" required={props.required} error={props.error} aria-live="polite">
      <FormLabel component="legend">{props.label}</FormLabel>
      {props.children}
      {props.description && <FormHelperText>{props.description}</FormHelperText>}
    </FormControl>
  );
}

/** One radio per choice; the label says what the user needs to decide. */
export function ChoiceRadios(props: {
  label: string;
  name: string;
  value: string | undefined;
  onChange: (value: string) => void;
  choices: Array<{ value: string; label: string }>;
}) {
  return (
    <RadioGroup
      aria-label={props.label}
      name={props.name}
      value={props.value ?? ''}
      onChange={event => props.onChange(event.target.value)}
    >
      {props.choices.map(choice => (
        <FormControlLabel key={choice.value} value={choice.value} control={<Radio />} label={choice.label} />
      ))}
    </RadioGroup>
  );
}

/** A validator that rejects an empty pick with a sentence that says what to choose. */
export function requireChoice(message: string): CustomFieldValidator<string> {
  return (value, validation) => {
    if (!value) validation.addError(message);
  };
}
