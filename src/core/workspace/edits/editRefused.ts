/**
 * A proposed edit that cannot be made as asked. Its message is written for the model (which
 * gets it as the tool's error and can call again) and for the user (on the tool's card).
 */
export class EditRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'EditRefused';
  }
}
