import { InvalidInputError } from '../model/errors';

/** Input the local runner cannot use (an unknown parameter, a missing state file or folder): the CLI exits 2. */
export class BadInputError extends InvalidInputError {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}
