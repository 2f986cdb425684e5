export * from './xml-representation';
