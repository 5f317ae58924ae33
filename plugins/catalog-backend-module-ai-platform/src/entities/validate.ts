import {
  DefaultNamespaceEntityPolicy,
  FieldFormatEntityPolicy,
  NoForeignRootFieldsEntityPolicy,
  SchemaValidEntityPolicy,
  apiEntityV1alpha1Validator,
  componentEntityV1alpha1Validator,
  resourceEntityV1alpha1Validator,
  EntityPolicies,
  type Entity,
} from '@backstage/catalog-model';
import { InputError } from '@backstage/errors';

const policy = EntityPolicies.allOf([
  new DefaultNamespaceEntityPolicy(),
  new NoForeignRootFieldsEntityPolicy(),
  new FieldFormatEntityPolicy(),
  new SchemaValidEntityPolicy(),
]);

const kindValidators: Record<string, typeof componentEntityV1alpha1Validator> = {
  Component: componentEntityV1alpha1Validator,
  API: apiEntityV1alpha1Validator,
  Resource: resourceEntityV1alpha1Validator,
};

/**
 * Runs an entity through the catalog's own policies and kind schemas, so a
 * mapping mistake shows up here, naming the object, rather than as a
 * processing error in the catalog.
 */
export async function validateEntity(entity: Entity, source: string): Promise<Entity> {
  try {
    const enforced = await policy.enforce(entity);
    if (!enforced) {
      throw new Error('the entity policies rejected it');
    }
    const validator = Object.hasOwn(kindValidators, entity.kind) ? kindValidators[entity.kind] : undefined;
    if (!validator || !(await validator.check(enforced))) {
      throw new Error(`no validator accepts kind ${entity.kind}`);
    }
    return enforced;
  } catch (error) {
    throw new InputError(
      `The AI platform ${source} maps to an invalid ${entity.kind} "${entity.metadata.name}": ${
        (error as Error).message
      }`,
    );
  }
}
