declare module 'asl-validator' {
  interface AslValidationResult {
    isValid: boolean;
    errors: unknown[];
    errorsText: (separator?: string) => string;
  }
  const validator: (definition: unknown) => AslValidationResult;
  export default validator;
}
