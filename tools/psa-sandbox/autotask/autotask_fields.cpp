// Field names and data types of the Autotask entities the sandbox serves, generated from
// the public per-entity OpenAPI files of github.com/api-evangelist/kaseya (the
// components.schemas.<Entity>Model properties). Used to refuse unknown query fields the
// way Autotask does and to answer entityInformation/fields. userDefinedFields excluded.
#include "psa-sandbox/autotask/autotask_fields.h"

#include "psa-sandbox/autotask/autotask_webhooks.h"

namespace switchyard::sandbox {

const std::vector<AutotaskField>& autotask_fields(std::string_view entity) {
  static const std::vector<AutotaskField> kTickets = {
      {"id", "long"}, {"apiVendorID", "integer"}, {"assignedResourceID", "integer"},
      {"assignedResourceRoleID", "integer"}, {"billingCodeID", "integer"}, {"changeApprovalBoard", "integer"},
      {"changeApprovalStatus", "integer"}, {"changeApprovalType", "integer"}, {"changeInfoField1", "string"},
      {"changeInfoField2", "string"}, {"changeInfoField3", "string"}, {"changeInfoField4", "string"},
      {"changeInfoField5", "string"}, {"companyID", "integer"}, {"companyLocationID", "integer"},
      {"completedByResourceID", "integer"}, {"completedDate", "datetime"}, {"configurationItemID", "integer"},
      {"contactID", "integer"}, {"contractID", "integer"}, {"contractServiceBundleID", "long"},
      {"contractServiceID", "long"}, {"createDate", "datetime"}, {"createdByContactID", "integer"},
      {"creatorResourceID", "integer"}, {"creatorType", "integer"},
      {"currentServiceThermometerRating", "integer"}, {"description", "string"}, {"dueDateTime", "datetime"},
      {"estimatedHours", "double"}, {"externalID", "string"}, {"firstResponseAssignedResourceID", "integer"},
      {"firstResponseDateTime", "datetime"}, {"firstResponseDueDateTime", "datetime"},
      {"firstResponseInitiatingResourceID", "integer"}, {"hoursToBeScheduled", "double"},
      {"impersonatorCreatorResourceID", "integer"}, {"isAssignedToComanaged", "boolean"},
      {"issueType", "integer"}, {"isVisibleToComanaged", "boolean"}, {"lastActivityDate", "datetime"},
      {"lastActivityPersonType", "integer"}, {"lastActivityResourceID", "integer"},
      {"lastCustomerNotificationDateTime", "datetime"}, {"lastCustomerVisibleActivityDateTime", "datetime"},
      {"lastTrackedModificationDateTime", "datetime"}, {"monitorID", "long"}, {"monitorTypeID", "integer"},
      {"opportunityID", "integer"}, {"organizationalLevelAssociationID", "integer"},
      {"previousServiceThermometerRating", "integer"}, {"priority", "integer"},
      {"problemTicketId", "integer"}, {"projectID", "integer"}, {"purchaseOrderNumber", "string"},
      {"queueID", "integer"}, {"resolution", "string"}, {"resolutionPlanDateTime", "datetime"},
      {"resolutionPlanDueDateTime", "datetime"}, {"resolvedDateTime", "datetime"},
      {"resolvedDueDateTime", "datetime"}, {"rmaStatus", "integer"}, {"rmaType", "integer"},
      {"rmmAlertID", "string"}, {"serviceLevelAgreementHasBeenMet", "boolean"},
      {"serviceLevelAgreementID", "integer"}, {"serviceLevelAgreementPausedNextEventHours", "double"},
      {"serviceThermometerTemperature", "integer"}, {"source", "integer"}, {"status", "integer"},
      {"subIssueType", "integer"}, {"ticketCategory", "integer"}, {"ticketNumber", "string"},
      {"ticketType", "integer"}, {"title", "string"},
  };
  if (entity == "Tickets") return kTickets;
  static const std::vector<AutotaskField> kCompanies = {
      {"id", "long"}, {"additionalAddressInformation", "string"}, {"address1", "string"},
      {"address2", "string"}, {"alternatePhone1", "string"}, {"alternatePhone2", "string"},
      {"apiVendorID", "integer"}, {"assetValue", "double"}, {"billToCompanyLocationID", "integer"},
      {"billToAdditionalAddressInformation", "string"}, {"billingAddress1", "string"},
      {"billingAddress2", "string"}, {"billToAddressToUse", "integer"}, {"billToAttention", "string"},
      {"billToCity", "string"}, {"billToCountryID", "integer"}, {"billToState", "string"},
      {"billToZipCode", "string"}, {"city", "string"}, {"classification", "integer"},
      {"companyCategoryID", "integer"}, {"companyName", "string"}, {"companyNumber", "string"},
      {"companyType", "integer"}, {"competitorID", "integer"}, {"countryID", "integer"},
      {"createDate", "datetime"}, {"createdByResourceID", "integer"}, {"currencyID", "integer"},
      {"fax", "string"}, {"impersonatorCreatorResourceID", "integer"}, {"invoiceEmailMessageID", "integer"},
      {"invoiceMethod", "integer"}, {"invoiceNonContractItemsToParentCompany", "boolean"},
      {"invoiceTemplateID", "integer"}, {"isActive", "boolean"}, {"isClientPortalActive", "boolean"},
      {"isEnabledForComanaged", "boolean"}, {"isSample", "boolean"}, {"isTaskFireActive", "boolean"},
      {"isTaxExempt", "boolean"}, {"lastActivityDate", "datetime"},
      {"lastTrackedModifiedDateTime", "datetime"}, {"marketSegmentID", "integer"},
      {"ownerResourceID", "integer"}, {"parentCompanyID", "integer"}, {"phone", "string"},
      {"postalCode", "string"}, {"purchaseOrderTemplateID", "integer"}, {"quoteEmailMessageID", "integer"},
      {"quoteTemplateID", "integer"}, {"sicCode", "string"}, {"state", "string"}, {"stockMarket", "string"},
      {"stockSymbol", "string"}, {"surveyCompanyRating", "double"}, {"taxID", "string"},
      {"taxRegionID", "integer"}, {"territoryID", "integer"}, {"webAddress", "string"},
  };
  if (entity == "Companies") return kCompanies;
  static const std::vector<AutotaskField> kContacts = {
      {"id", "long"}, {"additionalAddressInformation", "string"}, {"addressLine", "string"},
      {"addressLine1", "string"}, {"alternatePhone", "string"}, {"apiVendorID", "integer"},
      {"bulkEmailOptOutTime", "datetime"}, {"city", "string"}, {"companyID", "integer"},
      {"companyLocationID", "integer"}, {"countryID", "integer"}, {"createDate", "datetime"},
      {"emailAddress", "string"}, {"emailAddress2", "string"}, {"emailAddress3", "string"},
      {"extension", "string"}, {"externalID", "string"}, {"facebookUrl", "string"}, {"faxNumber", "string"},
      {"firstName", "string"}, {"impersonatorCreatorResourceID", "integer"}, {"isActive", "integer"},
      {"isOptedOutFromBulkEmail", "boolean"}, {"lastActivityDate", "datetime"},
      {"lastModifiedDate", "datetime"}, {"lastName", "string"}, {"linkedInUrl", "string"},
      {"middleInitial", "string"}, {"mobilePhone", "string"}, {"namePrefix", "integer"},
      {"nameSuffix", "integer"}, {"note", "string"}, {"receivesEmailNotifications", "boolean"},
      {"phone", "string"}, {"primaryContact", "boolean"}, {"billingContact", "boolean"},
      {"roomNumber", "string"}, {"solicitationOptOut", "boolean"}, {"solicitationOptOutTime", "datetime"},
      {"state", "string"}, {"surveyOptOut", "boolean"}, {"title", "string"}, {"twitterUrl", "string"},
      {"zipCode", "string"}, {"soapParentPropertyId", "string"},
  };
  if (entity == "Contacts") return kContacts;
  static const std::vector<AutotaskField> kContracts = {
      {"id", "long"}, {"billingPreference", "integer"}, {"billToCompanyContactID", "integer"},
      {"billToCompanyID", "integer"}, {"companyID", "integer"}, {"contactID", "integer"},
      {"contactName", "string"}, {"contractCategory", "integer"}, {"contractExclusionSetID", "integer"},
      {"contractName", "string"}, {"contractNumber", "string"}, {"contractPeriodType", "integer"},
      {"contractType", "integer"}, {"description", "string"}, {"endDate", "datetime"},
      {"estimatedCost", "double"}, {"estimatedHours", "double"}, {"estimatedRevenue", "double"},
      {"exclusionContractID", "long"}, {"internalCurrencyOverageBillingRate", "double"},
      {"internalCurrencySetupFee", "double"}, {"isCompliant", "boolean"}, {"isDefaultContract", "boolean"},
      {"lastModifiedDateTime", "datetime"}, {"opportunityID", "integer"},
      {"organizationalLevelAssociationID", "integer"}, {"overageBillingRate", "double"},
      {"purchaseOrderNumber", "string"}, {"renewedContractID", "long"},
      {"serviceLevelAgreementID", "integer"}, {"setupFee", "double"}, {"setupFeeBillingCodeID", "long"},
      {"startDate", "datetime"}, {"status", "integer"}, {"timeReportingRequiresStartAndStopTimes", "integer"},
  };
  if (entity == "Contracts") return kContracts;
  // ProductModel (the Autotask REST API's generated clients, as ContractServiceModel below).
  static const std::vector<AutotaskField> kProducts = {
      {"id", "long"}, {"billingType", "integer"}, {"chargeBillingCodeID", "integer"},
      {"defaultVendorID", "integer"}, {"description", "string"}, {"externalProductID", "string"},
      {"internalProductID", "string"}, {"isActive", "boolean"}, {"isSerialized", "boolean"},
      {"manufacturerName", "string"}, {"manufacturerProductName", "string"}, {"msrp", "double"},
      {"name", "string"}, {"periodType", "integer"}, {"productBillingCodeID", "integer"},
      {"productCategory", "integer"}, {"sku", "string"}, {"unitCost", "double"}, {"unitPrice", "double"},
  };
  if (entity == "Products") return kProducts;
  static const std::vector<AutotaskField> kContractCharges = {
      {"id", "long"}, {"billableAmount", "double"}, {"billingCodeID", "long"}, {"chargeType", "integer"},
      {"contractID", "long"}, {"contractServiceBundleID", "long"}, {"contractServiceID", "long"},
      {"createDate", "datetime"}, {"creatorResourceID", "long"}, {"datePurchased", "datetime"},
      {"description", "string"}, {"extendedCost", "double"}, {"internalCurrencyBillableAmount", "double"},
      {"internalCurrencyUnitPrice", "double"}, {"internalPurchaseOrderNumber", "string"},
      {"isBillableToCompany", "boolean"}, {"isBilled", "boolean"}, {"name", "string"}, {"notes", "string"},
      {"organizationalLevelAssociationID", "integer"}, {"productID", "long"},
      {"purchaseOrderNumber", "string"}, {"status", "long"}, {"statusLastModifiedBy", "long"},
      {"statusLastModifiedDate", "datetime"}, {"unitCost", "double"}, {"unitPrice", "double"},
      {"unitQuantity", "double"}, {"soapParentPropertyId", "string"},
  };
  if (entity == "ContractCharges") return kContractCharges;
  // ContractServiceModel and ContractServiceUnitModel (the Autotask REST API's generated clients,
  // e.g. github.com/aenichols/ATREST-CSharp-Client docs/ContractServiceModel.md).
  static const std::vector<AutotaskField> kContractServices = {
      {"id", "long"}, {"contractID", "integer"}, {"internalCurrencyAdjustedPrice", "double"},
      {"internalCurrencyUnitPrice", "double"}, {"internalDescription", "string"},
      {"invoiceDescription", "string"}, {"quoteItemID", "long"}, {"serviceID", "integer"},
      {"unitCost", "double"}, {"unitPrice", "double"}, {"soapParentPropertyId", "string"},
  };
  if (entity == "ContractServices") return kContractServices;
  static const std::vector<AutotaskField> kContractServiceUnits = {
      {"id", "long"}, {"approveAndPostDate", "datetime"}, {"contractID", "integer"},
      {"contractServiceID", "integer"}, {"cost", "double"}, {"endDate", "datetime"},
      {"internalCurrencyPrice", "double"}, {"organizationalLevelAssociationID", "integer"}, {"price", "double"},
      {"serviceID", "integer"}, {"startDate", "datetime"}, {"units", "integer"}, {"vendorCompanyID", "integer"},
  };
  if (entity == "ContractServiceUnits") return kContractServiceUnits;
  static const std::vector<AutotaskField> kConfigurationItems = {
      {"id", "long"}, {"apiVendorID", "integer"}, {"configurationItemCategoryID", "integer"},
      {"companyID", "integer"}, {"companyLocationID", "integer"}, {"configurationItemType", "integer"},
      {"contactID", "integer"}, {"contractID", "integer"}, {"contractServiceBundleID", "integer"},
      {"contractServiceID", "integer"}, {"createDate", "datetime"}, {"createdByPersonID", "integer"},
      {"dailyCost", "double"}, {"dattoAvailableKilobytes", "long"}, {"dattoDeviceMemoryMegabytes", "integer"},
      {"dattoDrivesErrors", "boolean"}, {"dattoHostname", "string"}, {"dattoInternalIP", "string"},
      {"dattoKernelVersionID", "integer"}, {"dattoLastCheckInDateTime", "datetime"},
      {"dattoNICSpeedKilobitsPerSecond", "integer"}, {"dattoNumberOfAgents", "integer"},
      {"dattoNumberOfDrives", "integer"}, {"dattoNumberOfVolumes", "integer"},
      {"dattoOffsiteUsedBytes", "long"}, {"dattoOSVersionID", "integer"}, {"dattoPercentageUsed", "double"},
      {"dattoProtectedKilobytes", "long"}, {"dattoRemoteIP", "string"}, {"dattoSerialNumber", "string"},
      {"dattoUptimeSeconds", "integer"}, {"dattoUsedKilobytes", "long"}, {"dattoZFSVersionID", "integer"},
      {"deviceNetworkingID", "string"}, {"domain", "string"}, {"domainRegistrarID", "integer"},
      {"domainRegistrationDateTime", "datetime"}, {"domainLastUpdatedDateTime", "datetime"},
      {"domainExpirationDateTime", "datetime"}, {"hourlyCost", "double"},
      {"impersonatorCreatorResourceID", "integer"}, {"installDate", "datetime"},
      {"installedByContactID", "integer"}, {"installedByID", "integer"}, {"isActive", "boolean"},
      {"lastActivityPersonID", "integer"}, {"lastActivityPersonType", "integer"},
      {"lastModifiedTime", "datetime"}, {"location", "string"}, {"monthlyCost", "double"},
      {"notes", "string"}, {"numberOfUsers", "double"}, {"parentConfigurationItemID", "integer"},
      {"perUseCost", "double"}, {"productID", "integer"}, {"referenceNumber", "string"},
      {"referenceTitle", "string"}, {"rmmDeviceAuditAntivirusStatusID", "integer"},
      {"rmmDeviceAuditArchitectureID", "integer"}, {"rmmDeviceAuditBackupStatusID", "integer"},
      {"rmmDeviceAuditDescription", "string"}, {"rmmDeviceAuditDeviceTypeID", "integer"},
      {"rmmDeviceAuditDisplayAdaptorID", "integer"}, {"rmmDeviceAuditDomainID", "integer"},
      {"rmmDeviceAuditExternalIPAddress", "string"}, {"rmmDeviceAuditHostname", "string"},
      {"rmmDeviceAuditIPAddress", "string"}, {"rmmDeviceAuditLastUser", "string"},
      {"rmmDeviceAuditMacAddress", "string"}, {"rmmDeviceAuditManufacturerID", "integer"},
      {"rmmDeviceAuditFirmwareID", "integer"}, {"rmmDeviceAuditMemoryBytes", "long"},
      {"rmmDeviceAuditMissingPatchCount", "integer"}, {"rmmDeviceAuditMobileNetworkOperatorID", "integer"},
      {"rmmDeviceAuditMobileNumber", "string"}, {"rmmDeviceAuditModelID", "integer"},
      {"rmmDeviceAuditMotherboardID", "integer"}, {"rmmDeviceAuditOperatingSystem", "string"},
      {"rmmDeviceAuditPatchStatusID", "integer"}, {"rmmDeviceAuditProcessorID", "integer"},
      {"rmmDeviceAuditServicePackID", "integer"}, {"rmmDeviceAuditSNMPContact", "string"},
      {"rmmDeviceAuditSNMPLocation", "string"}, {"rmmDeviceAuditSNMPName", "string"},
      {"rmmDeviceAuditSoftwareStatusID", "integer"}, {"rmmDeviceAuditStorageBytes", "long"},
      {"rmmDeviceID", "long"}, {"rmmDeviceUID", "string"}, {"rmmVsaxDeviceID", "string"},
      {"rmmOpenAlertCount", "integer"}, {"serialNumber", "string"}, {"serviceBundleID", "integer"},
      {"serviceID", "integer"}, {"serviceLevelAgreementID", "integer"}, {"setupFee", "double"},
      {"sourceChargeID", "integer"}, {"sourceChargeType", "integer"}, {"sslSource", "string"},
      {"sslCommonName", "string"}, {"sslValidFromDateTime", "datetime"},
      {"sslValidUntilDateTime", "datetime"}, {"sslIssuedBy", "string"}, {"sslOrganization", "string"},
      {"sslOrganizationUnit", "string"}, {"sslLocation", "string"}, {"sslSerialNumber", "string"},
      {"sslSignatureAlgorithm", "string"}, {"vendorID", "integer"}, {"warrantyExpirationDate", "datetime"},
      {"rmmIsInMaintenanceMode", "boolean"}, {"rmmIsMobileDeviceManagementEnrolled", "boolean"},
      {"rmmDeviceUrl", "string"},
  };
  if (entity == "ConfigurationItems") return kConfigurationItems;
  static const std::vector<AutotaskField> kTicketNotes = {
      {"id", "long"}, {"createDateTime", "datetime"}, {"createdByContactID", "integer"},
      {"creatorResourceID", "integer"}, {"description", "string"},
      {"impersonatorCreatorResourceID", "integer"}, {"impersonatorUpdaterResourceID", "integer"},
      {"lastActivityDate", "datetime"}, {"noteType", "integer"}, {"publish", "integer"},
      {"ticketID", "integer"}, {"title", "string"}, {"soapParentPropertyId", "string"},
  };
  if (entity == "TicketNotes") return kTicketNotes;
  if (const auto* webhook = at_webhook_fields(entity)) return *webhook;
  static const std::vector<AutotaskField> kNone;
  return kNone;
}

}  // namespace switchyard::sandbox
