import { IConstruct } from 'constructs';
import { InvalidInputError } from '../model/errors';

/**
 * Thrown by a construct whose props cannot be deployed. The construct path starts with
 * the stack name (`lakehouse-<environment>`), so the message names the environment,
 * the construct and the prop.
 */
export class PropError extends InvalidInputError {
  constructor(scope: IConstruct, id: string, field: string, message: string) {
    super(`${scope.node.path ? `${scope.node.path}/` : ''}${id}: prop "${field}" ${message}`);
    this.name = 'PropError';
  }
}
