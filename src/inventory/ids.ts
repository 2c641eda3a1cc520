/** Device ids: kept in model/ so that every folder that makes devices (inventory, discovery) can use them. */
export { slugify, uniqueId } from '../model/ids.ts';
